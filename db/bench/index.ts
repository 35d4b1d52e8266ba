// What benchmarks outside db/ (server/bench) use of db's: synthetic pools, fresh databases,
// table health. Not part of the product's API (`@al/db`).
export { insertSyntheticSamples } from './operations/insertSyntheticSamples';
export { getQueueTableHealth, type QueueTableHealth } from './operations/getQueueTableHealth';
export { createBenchDatabase, type BenchDatabase } from './benchDatabase';
export { seedOurQueue } from './ourQueue';
