/** The end-to-end suite: one real n8n for the run, deliveries in order. */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
	maxWorkers: 1,
	testTimeout: 120_000,
};
