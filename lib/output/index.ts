/**
 * Public names of the output layer: format registry, writers (json, ndjson, csv, FHIR R4, XML), the
 * multi-format writer, summaries, the per-file stages (gzip, segmented AES-256-GCM encryption), the one
 * output chain that joins them (output-chain.ts) and the ZIP with its manifest (output-archive.ts).
 */

export {
  BytesInfoStream,
  type ChunkFilePartInfo,
  type ChunkPartSink,
  type ChunkPartsOptions,
  type ChunkPartsResult,
  type ChunkPartTarget,
  DEFLATE_PART_CONTENT_TYPE,
  DEFLATE_PART_SUFFIX,
  writeChunkParts,
} from './chunk-parts.js';
export {
  DecryptionError,
  deriveKey,
  ENCRYPTED_CONTENT_TYPE,
  ENCRYPTED_EXTENSION,
  ENCRYPTION_MAGIC,
  ENCRYPTION_VERSION,
  EncryptedFileFormatError,
  IV_BYTES,
  KEY_BYTES,
  PBKDF2_DIGEST,
  PBKDF2_ITERATIONS,
  READABLE_ENCRYPTION_VERSIONS,
  readEncryptedFileVersion,
  SALT_BYTES,
  TAG_BYTES,
} from './crypto-format.js';
export {
  buildSegmentedHeader,
  createFileKey,
  decryptSegment,
  ENCRYPTION_DESCRIPTION,
  encryptChunk,
  encryptedLength,
  encryptSegment,
  fileKeyFromHeader,
  HEADER_BYTES,
  MAX_SEGMENT_SIZE,
  MAX_SEGMENTS,
  MIN_SEGMENT_SIZE,
  NONCE_PREFIX_BYTES,
  openFileKey,
  parseSegmentedHeader,
  SEGMENT_SIZE,
  type SegmentedFileKey,
  type SegmentedHeader,
  segmentNonce,
} from './crypto-segments.js';
export {
  createDecryptStream,
  createEncryptStream,
  describeEncryptionFormat,
  type EncryptStreamOptions,
  encryptedFileName,
  encryptedHeaderBytes,
  minimumEncryptedBytes,
  V1_HEADER_BYTES,
} from './crypto-stream.js';
export {
  CSV_COLUMNS,
  CSV_FORMAT,
  CSV_HEADER,
  type CsvColumn,
  CsvTransform,
  type CsvValue,
  csvField,
  csvRow,
} from './csv-writer.js';
export {
  buildFacilitiesBundle,
  compilePatientBundleSerializer,
  compilePatientBundleWriter,
  createFhirFormat,
  createFhirLineWriter,
  createJobContext,
  deterministicUuid,
  type FhirBundleType,
  type FhirFormatOptions,
  type FhirJobContext,
  FhirNdjsonTransform,
  type FhirRequestMethod,
  type FhirResource,
  type FhirStreamOptions,
  fhirFacilitiesLine,
  fhirFormat,
} from './fhir/index.js';
export {
  deflatedZipEntry,
  filePieces,
  isCompressedFile,
  type StoredChunkFile,
  storedZipEntry,
  type ZipEntryData,
  zipEntryData,
} from './file-pieces.js';
export type { FormatOptions, FormatSpec } from './format-spec.js';
export {
  formatSpec,
  isOutputFormat,
  OUTPUT_FORMATS,
  type OutputFormat,
  type OutputFormatOptions,
} from './formats.js';
export {
  createGzipStream,
  GZIP_CONTENT_TYPE,
  GZIP_EXTENSION,
  GZIP_LEVEL,
  type GzipOptions,
  gzipFileName,
} from './gzip.js';
export {
  combineParts,
  crc32,
  crc32Combine,
  type DeflatedPart,
  type DeflatePartOptions,
  DeflatePartStream,
  deflatePart,
  FLUSH_POINT_EVERY,
  GZIP_HEADER_BYTES,
  GZIP_TRAILER_BYTES,
  gzipFromParts,
  gzipHeader,
  gzipTrailer,
  type PartSummary,
} from './gzip-parts.js';
export { JSON_FORMAT, JsonTransform } from './json-writer.js';
export {
  buildManifest,
  DigestStream,
  GENERATOR_NAME,
  MANIFEST_FILE_NAME,
  MANIFEST_VERSION,
  type Manifest,
  type ManifestFile,
  type ManifestInput,
  manifestJson,
} from './manifest.js';
export { NDJSON_FORMAT, NdjsonTransform } from './ndjson-writer.js';
export { type OutputArchiveOptions, outputManifestFields, writeOutputArchive } from './output-archive.js';
export {
  type ChainFile,
  type ChainSink,
  type ChainWriteOptions,
  forwardTo,
  OutputChain,
  type OutputChainOptions,
  type OutputChoice,
  OutputStageError,
  openOutputChain,
  runOutputChain,
  type StoredFile,
} from './output-chain.js';
export {
  type HashedPart,
  type PartsChecksum,
  partSha256,
  SHA256_OF_PARTS,
  sha256OfParts,
  sha256OfPartsOf,
} from './part-checksum.js';
export {
  type ObjectRange,
  type PartPlan,
  type PartPlanOptions,
  type PlannedPart,
  planParts,
  S3_MAX_PART_SIZE,
  S3_MAX_PARTS,
  S3_MIN_PART_SIZE,
  type UploadSegment,
} from './part-plan.js';
export {
  type BytesInfo,
  type BytesPiece,
  bytesInfo,
  bytesPiece,
  type ObjectPiece,
  objectPiece,
  type Piece,
  piecesInfo,
} from './pieces.js';
export {
  CHUNK_SIZE,
  type DocumentPart,
  documentPart,
  FLUSH_POINT,
  type PatientRange,
  RecordTransform,
  type WriterChunk,
  type WriterOptions,
} from './record-transform.js';
export {
  type ObjectRangeReader,
  type PlaintextReader,
  READ_WINDOW_BYTES,
  type ReadPiecesOptions,
  readPieces,
  type SealedRange,
  type SealTask,
  sealedFilePieces,
  sealPieces,
  sealRange,
  sealTaskCount,
  sealTasks,
  segmentCount,
} from './seal-parts.js';
export {
  EVACUATION_BIN_HOURS,
  EVACUATION_MAX_HOURS,
  type EvacuationLeg,
  MAX_ARRIVAL_BINS,
  type PatientSummary,
  ROLES,
  type Role,
  SUMMARY_STATE_VERSION,
  SummaryCollector,
  type SummaryDimension,
  type SummaryRow,
  type SummarySeries,
  type SummaryState,
  SummaryStateSchema,
  type SummaryTiming,
  summarise,
} from './summary.js';
export {
  type WritePatientsOptions,
  type WritePatientsResult,
  type WriteTarget,
  writePatients,
} from './write-patients.js';
export {
  escapeXmlAttribute,
  escapeXmlText,
  patientXml,
  XML_FOOTER,
  XML_ITEM_NAMES,
  XmlTransform,
  xmlFormat,
  xmlHeader,
} from './xml-format.js';
export {
  createZipStream,
  ZIP_CONTENT_TYPE,
  ZIP_FILE_NAME,
  ZIP_LEVEL,
  type ZipEntry,
  type ZipManifestOptions,
  type ZipOptions,
} from './zip.js';
export {
  dosDateTime,
  memoryEntry,
  type ZipLayout,
  type ZipMethod,
  type ZipPieceEntry,
  type ZipPiecesOptions,
  zipPieces,
} from './zip-pieces.js';
