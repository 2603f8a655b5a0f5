// Pure pieces of the kit: configuration, resource names, IIN/BIN check digits, page tokens, call metrics.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../services/kit/config.ts';
import { callMetrics } from '../../services/kit/interceptors/metrics.ts';
import { createRegistry } from '../../services/kit/metrics.ts';
import { RuqsatError, toRuqsatError } from '../../services/kit/errors.ts';
import { parseName } from '../../services/kit/names.ts';
import { decodePageToken, encodePageToken, pageSizeOf } from '../../services/kit/paging.ts';
import { isValidIinBin } from '../../services/kit/party.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('kit: configuration', () => {
  it('has defaults for a bare machine', () => {
    const c = loadConfig({});
    expect(c.ports).to.deep.equal({ trust: 50051, licensing: 50052, permit: 50053, deposit: 50054, registry: 50055 });
    expect(c.databaseUrl).to.equal(undefined);
    expect(c.pgliteDir).to.equal('./data/pglite');
    expect(c.addresses.permit).to.equal('127.0.0.1:50053');
    expect(c.gcTuning).to.equal(true);
  });

  it('keeps the collector settings of V8 when GC_TUNING is off, and refuses other values', () => {
    expect(loadConfig({ GC_TUNING: 'off' }).gcTuning).to.equal(false);
    expect(configError({ GC_TUNING: 'fast' }).variable).to.equal('GC_TUNING');
  });

  it('names the variable that is wrong', () => {
    expect(configError({ PERMIT_PORT: '70000' }).variable).to.equal('PERMIT_PORT');
    expect(configError({ GRPC_MAX_MESSAGE_BYTES: '4MB' }).variable).to.equal('GRPC_MAX_MESSAGE_BYTES');
    expect(configError({ LOG_LEVEL: 'loud' }).message).to.include('LOG_LEVEL');
    expect(configError({ REDIS_URL: 'http://x' }).variable).to.equal('REDIS_URL');
    expect(configError({ DB_SCHEMA_PREFIX: 'Drop;' }).variable).to.equal('DB_SCHEMA_PREFIX');
  });

  it('never repeats a database password in its messages', () => {
    expect(configError({ DATABASE_URL: 'mysql://u:topsecret@h/db' }).message).to.not.include('topsecret');
  });
});

describe('kit: errors', () => {
  it('a text the database refuses (a NUL character) is INVALID_ARGUMENT, anything else unknown INTERNAL', () => {
    for (const code of ['22021', '22P05']) expect(toRuqsatError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code }))).to.include({ code: 3, reason: 'INVALID_TEXT' });
    expect(toRuqsatError(new Error('boom'))).to.include({ code: 13, reason: 'INTERNAL' });
  });
});

describe('kit: resource names', () => {
  it('parses names against their pattern', () => {
    expect(parseName('registers/eir-is/entries/e1', 'registers/{register}/entries/{entry}', 'name')).to.deep.equal({ register: 'eir-is', entry: 'e1' });
    expect(parseName('registers/-', 'registers/{register}', 'parent', true)).to.deep.equal({ register: '-' });
  });

  it('refuses other shapes, bad ids and a wildcard where none is allowed', () => {
    for (const name of ['', 'registers', 'registers/a/b', 'permits/a', 'registers/A', 'registers/a b', 'registers/' + 'a'.repeat(64), 'registers/-']) {
      expect(() => parseName(name, 'registers/{register}', 'name'), name).to.throw(RuqsatError).with.property('violations').that.deep.equals([
        { field: 'name', description: name === '' ? 'is required' : `must look like "registers/{register}", got "${name}"` },
      ]);
    }
  });
});

describe('kit: IIN and BIN', () => {
  it('checks the mod-11 check digit, including the second weighting', () => {
    expect(isValidIinBin('000000000000')).to.equal(true);
    expect(isValidIinBin('123456789012')).to.equal(false);
    expect(isValidIinBin('12345678901')).to.equal(false);
    expect(isValidIinBin('12345678901a')).to.equal(false);
    // Weights 1..11 give 10 for this prefix, so the second weighting (3..11,1,2) decides: 1.
    expect(isValidIinBin('000000000101')).to.equal(true);
    expect(isValidIinBin('000000000100')).to.equal(false);
    // Weights 1..11 decide these: 0 for the first (so 3 is wrong), 1 for the others.
    expect(isValidIinBin('000000000013')).to.equal(false);
    expect(isValidIinBin('100000000011')).to.equal(true);
    expect(isValidIinBin('100000000012')).to.equal(false);
  });
});

describe('kit: paging', () => {
  it('defaults, bounds and refuses page sizes', () => {
    expect(pageSizeOf(0)).to.equal(50);
    expect(pageSizeOf(1000)).to.equal(1000);
    expect(() => pageSizeOf(-1)).to.throw(RuqsatError);
    expect(() => pageSizeOf(1001)).to.throw(RuqsatError);
  });

  it('round-trips a cursor only for the query that made it', () => {
    const token = encodePageToken({ rpc: 'X', holder: 'a' }, ['42']);
    expect(decodePageToken(token, { rpc: 'X', holder: 'a' })).to.deep.equal(['42']);
    expect(() => decodePageToken(token, { rpc: 'X', holder: 'b' })).to.throw(/different query/);
    expect(() => decodePageToken('bm90IGpzb24', { rpc: 'X' })).to.throw(/not a token/);
    expect(decodePageToken('', { rpc: 'X' })).to.equal(undefined);
  });
});

describe('kit: call metrics', () => {
  it('counts starts, ends by status and latency per method, one set for every server on a registry', async () => {
    const registry = createRegistry();
    const first = callMetrics(registry);
    const second = callMetrics(registry);
    first('/ruqsat.permit.v1.PermitService/CheckPermit')(grpc.status.OK);
    second('/ruqsat.permit.v1.PermitService/CheckPermit')(grpc.status.NOT_FOUND);
    second('/ruqsat.permit.v1.PermitService/ConsumePermit');
    const text = await registry.metrics();
    const labels = 'grpc_service="ruqsat.permit.v1.PermitService",grpc_method="CheckPermit"';
    expect(text).to.include(`grpc_server_started_total{${labels}} 2`);
    expect(text).to.include('grpc_server_started_total{grpc_service="ruqsat.permit.v1.PermitService",grpc_method="ConsumePermit"} 1');
    expect(text).to.include(`grpc_server_handled_total{${labels},grpc_code="OK"} 1`);
    expect(text).to.include(`grpc_server_handled_total{${labels},grpc_code="NOT_FOUND"} 1`);
    // Both ended within 0.5 ms, so every bucket holds both; the count is the +Inf bucket.
    expect(text).to.include(`grpc_server_handling_seconds_bucket{${labels},le="0.0005"} 2`);
    expect(text).to.include(`grpc_server_handling_seconds_bucket{${labels},le="+Inf"} 2`);
    expect(text).to.include(`grpc_server_handling_seconds_count{${labels}} 2`);
    expect(text).to.match(new RegExp(`grpc_server_handling_seconds_sum\\{${labels}\\} 0\\.0`));
    registry.resetMetrics();
    expect(await registry.metrics()).to.include(`grpc_server_started_total{${labels}} 0`);
  });

  it('puts a slow call in the first bucket its latency fits', async () => {
    const registry = createRegistry();
    const end = callMetrics(registry)('/a.B/Slow');
    await new Promise((r) => setTimeout(r, 30));
    end(grpc.status.OK);
    const text = await registry.metrics();
    expect(text).to.include('grpc_server_handling_seconds_bucket{grpc_service="a.B",grpc_method="Slow",le="0.025"} 0');
    expect(text).to.include('grpc_server_handling_seconds_bucket{grpc_service="a.B",grpc_method="Slow",le="10"} 1');
  });
});
