import { PanelMember } from '../../src/draws/panel.entity';
import { Agent, evaluatorAgent, TestApp } from './create-test-app';

const post = (agent: Agent, path: string, body: object = {}) => agent.post(path).set('x-csrf-token', agent.csrfToken).send(body);

/**
 * The office draws the case's panel (witnessed) and every member drawn accepts the invitation,
 * so the panel stands confirmed. Returns the members in seat order, each signed in.
 */
export async function seatPanel(t: TestApp, staff: Agent, caseId: number): Promise<{ id: number; agent: Agent }[]> {
  const committed = await post(staff, `/api/cases/${caseId}/draws`, {});
  await post(staff, `/api/draws/${committed.body.id}/witness`, { witnessName: '刘监督', witnessRole: '纪检监督员', witnessInput: '2 4 6 1 3 5' });
  const seated = await t.dataSource.getRepository(PanelMember).find({ where: { drawId: committed.body.id, state: 'invited' }, order: { seat: 'ASC' } });
  const members: { id: number; agent: Agent }[] = [];
  for (const m of seated) {
    const agent = await evaluatorAgent(t, m.evaluatorId);
    expect((await post(agent, `/api/inbox/invitations/${m.id}`, { answer: 'accept', declaration: true })).status).toBe(200);
    members.push({ id: m.evaluatorId, agent });
  }
  return members;
}
