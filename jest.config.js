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
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    // Argon2 log-ins and 100-request bursts on two cores shared with Chromium: 5 s is too tight.
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], testTimeout: 30_000 },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/e2e/**/*.browser-spec.ts'], testTimeout: 120_000 },
  ],
};
