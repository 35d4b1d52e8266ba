export * from './datasources/index';
export { createLocalFolderDatasource, DatasourcePathError } from './datasources/local';
export {
  createS3Datasource,
  parseS3Uri,
  type S3DatasourceOptions,
  type S3Location,
} from './datasources/s3';
export { describeS3Error } from './datasources/s3Errors';
export { LIST_PAGE_SIZE } from './datasources/types';
export {
  inspectImage,
  openImage,
  ImageDecodeError,
  type ImageFormat,
  type ImageInfo,
} from './decodeImage';
export { BmpError, decodeBmp, looksLikeBmp, type DecodedBmp } from './bmp';
export { resizeImage, type ResizedImage } from './resizeImage';
export {
  DEFAULT_IMAGE_PAGE,
  ImagePageSchema,
  ImagePageTextSchema,
  imagePageColumn,
  imagePageOfColumn,
  type ImagePage,
} from './imagePage';
export { stretchTo8Bit, STRETCH_HIGH_PERCENTILE, STRETCH_LOW_PERCENTILE } from './stretchImage';
export {
  thumbnailLocation,
  thumbnailMatcher,
  ThumbnailSuffixSchema,
  type ThumbnailFormat,
  type ThumbnailLocation,
} from './thumbnailPath';
export {
  createLogger,
  usePrettyLogs,
  redactUrl,
  redactQueryToken,
  REDACT_PATHS,
  type LogFormat,
  type Logger,
} from './logger';
export {
  DIGITS_PROJECT_NAME,
  DIGIT_LABELS,
  digitsDemoFolder,
  trueDigitLabelOf,
  writeDigitImages,
} from './demoDigits';
