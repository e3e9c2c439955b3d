import autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../src/demo/seed-demo';
import { login, startServer } from './support';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

/**
 * The pool list page (server-rendered HTML, 20 rows, filters and pagination) for a
 * signed-in office user, under load from 10 concurrent connections, against the demo pool.
 */
async function main(): Promise<void> {
  const server = await startServer({ seedDemo: true });
  try {
    const { cookie } = await login(server.url, 'staff', DEMO_PASSWORD);
    const paths = ['/pool?page=1', '/pool?page=5&category=lawyer', '/pool?q=%E7%8E%8B', '/pool?expertise=%E5%BE%81%E5%9C%B0%E6%8B%86%E8%BF%81&page=2'];
    // Warm-up: template compilation, statement caches.
    for (const p of paths) await fetch(server.url + p, { headers: { cookie } });
    const result = await autocannon({
      url: server.url,
      connections: CONNECTIONS,
      duration: DURATION_S,
      headers: { cookie },
      requests: paths.map((path) => ({ method: 'GET', path })),
    });
    const errors = result.errors + result.timeouts + result.non2xx;
    const figures = {
      req_per_s: Math.round(result.requests.average),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      errors,
      requests: result.requests.total,
      connections: CONNECTIONS,
      duration_s: DURATION_S,
    };
    console.log(`pool page under ${CONNECTIONS} connections for ${DURATION_S}s: ${figures.req_per_s} req/s, p99 ${figures.p99_ms} ms, ${errors} errors`);
    console.log(JSON.stringify(figures));
    if (errors > 0) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
