// Three projects: fast unit specs beside the pure rules, HTTP e2e specs on a real
// SQLite file, and browser specs in Debian's Chromium. `npm test` runs all three.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
      },
      module: { type: 'commonjs' },
    },
  ],
};
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
module.exports = {
  // A global option: Jest ignores testTimeout inside a project (hooks then got the default 5 s).
  // Argon2 log-ins, Chromium launches and 100-request bursts on two shared cores need more.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/e2e/**/*.browser-spec.ts'] },
  ],
};
