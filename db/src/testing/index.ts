export {
  startTestCluster,
  createTestDatabase,
  TEST_PG_ADMIN_URL_ENV,
  type TestDatabase,
} from './testPostgres';
export { freePort } from './freePort';
