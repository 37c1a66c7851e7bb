/** `npm run test:load`: the long load run against a real n8n, on demand; set up as the end-to-end suite, its tests set their own time limits. */
const { testTimeout: _perTest, ...e2e } = require('../e2e/jest.config.js');

module.exports = { ...e2e, testMatch: ['<rootDir>/test/load/**/*.e2e.test.ts'] };
