import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('runs out of the box: port 3000, database under data/', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.databasePath).toMatch(/data\/tianping\.sqlite$/);
    expect(config.SESSION_IDLE_MINUTES).toBe(15);
  });
  it('reads numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', COOKIE_SECURE: 'true' });
    expect(config.PORT).toBe(8080);
    expect(config.COOKIE_SECURE).toBe(true);
  });
  it('names every bad variable in one message', () => {
    expect(() => loadConfig({ PORT: 'eighty', SESSION_IDLE_MINUTES: '0' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', SESSION_IDLE_MINUTES: '0' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT=.*must be an integer/);
      expect((error as Error).message).toMatch(/SESSION_IDLE_MINUTES="0": SESSION_IDLE_MINUTES must not be less than 1/);
    }
  });
  it('refuses an unknown time zone', () => {
    expect(() => loadConfig({ APP_TIMEZONE: 'Mars/Olympus' })).toThrow(/APP_TIMEZONE.*not a known IANA time zone/);
  });
});
