// DepositService RPCs: decode, validate, call the domain and the store, encode. No SQL here.
import {
  DepositObject_State,
  ObjectType,
  type Deposit,
  type DepositObject,
  type DepositServiceServer,
} from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { invalidArgument, notFound } from '../kit/errors.ts';
import { clientStreaming, unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import { identifierFilter, toParty } from '../kit/party.ts';
import type { ServiceDeps } from '../kit/service.ts';
import type { DepositConfig } from './config.ts';
import { uploadIdViolation } from './domain/manifest.ts';
import { merkleRoot } from './domain/merkle.ts';
import { DEPOSIT, depositName, OBJECT, objectName } from './domain/names.ts';
import { compareFiles, validateSubmitted, type SubmittedFile } from './domain/verify.ts';
import { DepositStore, type DepositRow, type ObjectFileRow, type ObjectRow, type ObjectType as ObjectKind } from './store.ts';
import type { Uploads, UploadMessage } from './uploads.ts';
import { hashStreamedFiles } from './verify-files.ts';

const OBJECT_TYPES: Record<ObjectKind, ObjectType> = {
  information_system: ObjectType.OBJECT_TYPE_INFORMATION_SYSTEM,
  software_product: ObjectType.OBJECT_TYPE_SOFTWARE_PRODUCT,
  program_code: ObjectType.OBJECT_TYPE_PROGRAM_CODE,
  documentation: ObjectType.OBJECT_TYPE_DOCUMENTATION,
};
const OBJECT_KINDS = new Map(Object.entries(OBJECT_TYPES).map(([k, v]) => [v, k as ObjectKind]));

const toDeposit = (row: DepositRow): Deposit => ({
  name: depositName(row.id),
  depositNumber: row.deposit_number,
  objectType: OBJECT_TYPES[row.object_type],
  title: row.title,
  version: row.version,
  depositor: toParty({ type: row.depositor_type, identifier: row.depositor_identifier, name: row.depositor_name }),
  merkleRoot: row.merkle_root,
  fileCount: Number(row.file_count),
  totalSizeBytes: Number(row.total_size_bytes),
  registrationTime: row.registered_at,
});

const toObject = (o: ObjectRow, files: ObjectFileRow[]): DepositObject => {
  const findings: string[] = o.findings ? JSON.parse(o.findings) : [];
  const stored = o.state === 'stored';
  return {
    name: objectName(o.id),
    uploadId: o.id,
    state: stored ? DepositObject_State.STATE_STORED : DepositObject_State.STATE_UPLOADING,
    objectType: OBJECT_TYPES[o.object_type],
    title: o.title,
    version: o.version,
    files: files.map((f) => ({ path: f.path, declaredSizeBytes: Number(f.declared_size), receivedBytes: stored && !f.stored ? 0 : Number(f.received_bytes), sha256: f.sha256 ?? Buffer.alloc(0) })),
    merkleRoot: o.merkle_root ?? Buffer.alloc(0),
    fileCount: Number(o.file_count ?? 0),
    totalSizeBytes: Number(o.total_size_bytes ?? 0),
    check: stored ? { complete: !!o.complete, conformant: !!o.conformant, findings, missingPaths: files.filter((f) => !f.stored).map((f) => f.path) } : undefined,
    createTime: o.created_at,
    storeTime: o.stored_at ?? undefined,
  };
};

// Numbers other than ours (DEP-YYYY-NNNNNN) may stand in the registry: any 1–64 letters, digits, ".", "/" or "-".
const REFERENCE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9./-]{0,63}$/;

/** The depositary's own RPCs; the applications' are in applications.ts. */
type DepositaryHandlers = Pick<DepositServiceServer, 'getDeposit' | 'listDeposits' | 'uploadObject' | 'getUploadStatus' | 'verifyDeposit' | 'verifyDepositFiles'>;

export function depositHandlers({ db, logger }: ServiceDeps, config: DepositConfig, uploads: Uploads): DepositaryHandlers {
  const store = new DepositStore(db);

  const objectView = async (id: string, name: string) => {
    const found = await store.object(id);
    if (!found) throw notFound(name);
    return toObject(found.object, found.files);
  };

  /** "objects/{object}", "deposits/{deposit}" or a deposit number → the stored object's id. */
  const objectOf = async (ref: string): Promise<string> => {
    if (ref.startsWith('objects/')) return parseName(ref, OBJECT, 'deposit').object!;
    if (!ref) throw invalidArgument([{ field: 'deposit', description: 'is required' }]);
    if (!ref.startsWith('deposits/') && !REFERENCE_NUMBER.test(ref)) {
      throw invalidArgument([{ field: 'deposit', description: 'must be a deposit number (1–64 letters, digits, ".", "/" or "-"), deposits/{deposit} or objects/{object}' }]);
    }
    const row = ref.startsWith('deposits/') ? await store.deposit(parseName(ref, DEPOSIT, 'deposit').deposit!) : await store.depositByNumber(ref);
    if (!row) throw notFound(ref);
    if (row.object_id) return row.object_id;
    const byRoot = await store.storedObjectByRoot(row.merkle_root);
    if (!byRoot) throw notFound(`the content of ${ref}`);
    return byRoot.id;
  };

  /** The stored object a deposit reference names, with its stored files. */
  const storedObject = async (ref: string) => {
    const id = await objectOf(ref);
    const found = await store.object(id);
    if (!found || found.object.state !== 'stored') throw notFound(objectName(id));
    return { id, root: found.object.merkle_root, files: found.files.filter((f) => f.stored).map((f) => ({ path: f.path, size: Number(f.declared_size), sha256: f.sha256! })) };
  };

  const verification = (deposited: Awaited<ReturnType<typeof storedObject>>, submitted: SubmittedFile[]) => {
    const result = compareFiles(deposited.files, submitted);
    return {
      matches: result.matches,
      object: objectName(deposited.id),
      merkleRoot: deposited.root ?? merkleRoot(deposited.files),
      differingPaths: result.differing,
      missingPaths: result.missing,
      extraPaths: result.extra,
    };
  };

  return {
    getDeposit: unary(logger, async (req) => {
      const { deposit } = parseName(req.name, DEPOSIT, 'name');
      const row = await store.deposit(deposit!);
      if (!row) throw notFound(req.name);
      return toDeposit(row);
    }),

    listDeposits: unary(logger, async (req) => {
      const depositor = identifierFilter(req.depositorIdentifier, 'depositor_identifier');
      const query = { rpc: 'ListDeposits', depositor };
      const page = await listPage(req, query, (limit, before) => store.deposits(depositor, limit, before), toDeposit);
      return { deposits: page.items, nextPageToken: page.nextPageToken };
    }),

    uploadObject: clientStreaming(logger, async (requests, ctx) => {
      async function* decoded(): AsyncGenerator<UploadMessage> {
        for await (const r of requests) {
          yield {
            manifest: r.manifest && {
              uploadId: r.manifest.uploadId,
              objectType: OBJECT_KINDS.get(r.manifest.objectType),
              title: r.manifest.title,
              version: r.manifest.version,
              files: r.manifest.files,
            },
            chunk: r.chunk,
            finish: r.finish,
          };
        }
      }
      const id = await uploads.receive(decoded(), ctx.caller);
      return { object: await objectView(id, objectName(id)) };
    }),

    getUploadStatus: unary(logger, async (req) => {
      if (!req.uploadId) throw invalidArgument([{ field: 'upload_id', description: 'is required' }]);
      const badId = uploadIdViolation(req.uploadId, 'upload_id');
      if (badId) throw invalidArgument([badId]);
      return objectView(req.uploadId, `upload ${req.uploadId}`);
    }),

    verifyDeposit: unary(logger, async (req) => {
      const deposited = await storedObject(req.deposit);
      const submitted = req.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.sizeBytes }));
      validateSubmitted(submitted);
      return verification(deposited, submitted);
    }),

    verifyDepositFiles: clientStreaming(logger, async (requests) => {
      const it = requests[Symbol.asyncIterator]();
      const first = await it.next();
      if (first.done || first.value.deposit === undefined) throw invalidArgument([{ field: 'deposit', description: 'the first message of the stream must name the deposit' }]);
      // The deposit is looked up before any byte is hashed: a wrong name fails at once.
      const deposited = await storedObject(first.value.deposit);
      return verification(deposited, await hashStreamedFiles(it, config.maxFileBytes));
    }),
  };
}
