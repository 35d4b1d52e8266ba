export { startS3rver, S3RVER_CREDENTIALS, type TestS3 } from './startS3rver';
export {
  writeValidImages,
  writeCorruptImages,
  writeNonImage,
  writePng,
  type WrittenImage,
} from './writeTestImages';
export {
  CELL_SIDE,
  cellImage16,
  cellTiff16,
  cellStackTiff16,
  rgbCellTiff16,
  isBackground,
  isCell,
  isMirroredCell,
  isBackgroundOfStack,
  meanOver,
} from './cellImages';
