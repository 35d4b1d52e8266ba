export * from './events';
export * from './http';
export * from './modelMetrics';
export * from './acquisitionFunctions';
export * from './acquisitionSettings';
export * from './processEnv';
export * from './gold';
export * from './review';
