export { loadConfig, type Config, ConfigError } from './config';
export { createLogger, redactUrl, type Logger } from './logger';
