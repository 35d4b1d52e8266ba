// What the cross-part tests and benchmarks use of the server; the product runs it through its CLIs.
export { loadConfig, type Config, ConfigError } from './config';
export { createApp, type App, type CreateAppDeps } from './app/createApp';
export { sha256 } from './app/labellerAccess';
export { importFromDatasource, type ImportSummary } from './importer/importFolder';
export { seedDigitsDemo } from './demo/seedDigits';
export { ImageService } from './services/images';
export { exportToFolders, MANIFEST_NAME } from './exporter/folderExport';
