export { Job, JobError } from './job.js';
export type { JobHistoryEntry, JobJson } from './job.js';
export { HexDump, JobAttachment, JsonData, Table, YamlData } from './attachments.js';
export type {
  AttachmentJson,
  HexDumpJson,
  JsonDataJson,
  TableCell,
  TableJson,
  YamlJson,
} from './attachments.js';
