export { startS3rver, S3RVER_CREDENTIALS, type TestS3 } from './startS3rver';
export {
  writeValidImages,
  writeCorruptImages,
  writeNonImage,
  writePng,
  type WrittenImage,
} from './writeTestImages';
