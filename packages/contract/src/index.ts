export * from './events';
export * from './acquisitionFunctions';
export * from './acquisitionSettings';
export * from './processEnv';
