// The streaming RPCs' own codecs read and write exactly what the generated ones do.
import { expect } from 'chai';
import { UploadObjectRequest, VerifyDepositFilesRequest, ObjectType } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { decodeUploadObjectRequest, decodeVerifyDepositFilesRequest, depositServiceDefinition } from '../../services/deposit/wire.ts';
import { sha } from './helpers.ts';

describe('deposit wire codecs', () => {
  const data = Buffer.from(Array.from({ length: 70_001 }, (_, i) => (i * 7) & 0xff));
  const messages: UploadObjectRequest[] = [
    { manifest: { uploadId: 'u-1', objectType: ObjectType.OBJECT_TYPE_PROGRAM_CODE, title: 'T', version: '1', files: [{ path: 'a/b.c', sizeBytes: 70_001 }] }, chunk: undefined, finish: undefined },
    { manifest: undefined, chunk: { path: 'a/b.c', offset: 0, data, sha256: sha(data) }, finish: undefined },
    { manifest: undefined, chunk: { path: 'қазақ/файл.txt', offset: 2 ** 40, data: Buffer.alloc(0), sha256: Buffer.alloc(0) }, finish: undefined },
    { manifest: undefined, chunk: undefined, finish: {} },
  ];

  it('UploadObjectRequest: our encoder → generated decoder, generated encoder → our decoder', () => {
    const { requestSerialize, requestDeserialize } = depositServiceDefinition.uploadObject;
    for (const m of messages) {
      expect(UploadObjectRequest.decode(requestSerialize(m))).to.deep.equal(m);
      expect(requestDeserialize(Buffer.from(UploadObjectRequest.encode(m).finish()))).to.deep.equal(m);
    }
  });

  it('reads chunk data as a view of the message, not a copy', () => {
    const bytes = Buffer.from(UploadObjectRequest.encode(messages[1]!).finish());
    const decoded = decodeUploadObjectRequest(bytes);
    expect(decoded.chunk!.data.buffer).to.equal(bytes.buffer);
  });

  it('VerifyDepositFilesRequest both ways', () => {
    const { requestSerialize } = depositServiceDefinition.verifyDepositFiles;
    const list: VerifyDepositFilesRequest[] = [{ deposit: 'DEP-2026-000001', chunk: undefined }, { deposit: undefined, chunk: messages[1]!.chunk }];
    for (const m of list) {
      expect(VerifyDepositFilesRequest.decode(requestSerialize(m))).to.deep.equal(m);
      expect(decodeVerifyDepositFilesRequest(VerifyDepositFilesRequest.encode(m).finish())).to.deep.equal(m);
    }
  });
});
