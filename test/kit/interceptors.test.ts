// The kit's server on loopback: request ids, deadlines, message limits, error details, metrics, drain.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { pino } from 'pino';
import { TrustServiceClient, TrustServiceService, type TrustServiceServer } from '../../gen/ruqsat/trust/v1/trust.ts';
import { RuqsatError } from '../../services/kit/errors.ts';
import { closeClients, clientFor } from '../../services/kit/grpc/client.ts';
import { unary } from '../../services/kit/grpc/handler.ts';
import { startGrpcServer, type RunningServer } from '../../services/kit/grpc/server.ts';
import { createRegistry, serveMetrics, type MetricsEndpoint } from '../../services/kit/metrics.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A trust service whose handlers misbehave on purpose, to exercise the kit around them.
function misbehaving(): Partial<TrustServiceServer> {
  return {
    getAuthority: unary(silent, async (req) => {
      if (req.name === 'authorities/slow') await sleep(2_000);
      if (req.name === 'authorities/crash') throw new Error('secret internal detail: password=hunter2');
      if (req.name === 'authorities/refused') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NOT_READY', 'not ready', { step: 'x' });
      return { name: req.name, kind: 0, displayName: 'ok', subject: '', certificateDer: Buffer.alloc(0), createTime: undefined, crlDistributionPoints: [] };
    }),
    listAuthorities: unary(silent, async () => ({ authorities: [], nextPageToken: '' })),
    getCertificate: unary(silent, async () => {
      throw new Error('unused');
    }),
    listCertificates: unary(silent, async () => ({ certificates: [], nextPageToken: '' })),
  };
}

describe('kit: gRPC server and interceptors', () => {
  let server: RunningServer;
  let metrics: MetricsEndpoint;
  let client: InstanceType<typeof TrustServiceClient>;
  const registry = createRegistry();

  before(async () => {
    server = await startGrpcServer({
      services: [{ serviceName: 'ruqsat.trust.v1.TrustService', definition: TrustServiceService, implementation: misbehaving() as grpc.UntypedServiceImplementation }],
      host: '127.0.0.1',
      port: 0,
      maxMessageBytes: 2048,
      maxCallMs: 300,
      logger: silent,
      registry,
    });
    metrics = await serveMetrics(registry, '127.0.0.1', 0);
    client = clientFor(TrustServiceClient, `127.0.0.1:${server.port}`);
  });
  after(async () => {
    closeClients();
    await server?.stop(0, 1000);
    await metrics?.close();
  });

  it('echoes the caller\u2019s request id, and makes one when there is none', async () => {
    const md = new grpc.Metadata();
    md.set('x-request-id', 'req-123');
    const { headers } = await call(bind(client, 'getAuthority'), { name: 'authorities/a' }, md);
    expect(headers.get('x-request-id')).to.deep.equal(['req-123']);
    const second = await call(bind(client, 'getAuthority'), { name: 'authorities/a' });
    expect(String(second.headers.get('x-request-id')[0])).to.match(/^[0-9a-f-]{36}$/);
  });

  it('replaces an unsafe request id instead of echoing it', async () => {
    const md = new grpc.Metadata();
    md.set('x-request-id', 'bad id with spaces');
    const { headers } = await call(bind(client, 'getAuthority'), { name: 'authorities/a' }, md);
    expect(String(headers.get('x-request-id')[0])).to.not.include(' ');
  });

  it('carries a typed error out as google.rpc.Status with ErrorInfo and the request id', async () => {
    const md = new grpc.Metadata();
    md.set('x-request-id', 'req-err');
    const { error, status } = await callFails(bind(client, 'getAuthority'), { name: 'authorities/refused' }, grpc.status.FAILED_PRECONDITION, md);
    expect(error.details).to.equal('not ready');
    expect(status.errorInfo).to.deep.include({ reason: 'NOT_READY', domain: 'ruqsat.kz' });
    expect(status.errorInfo?.metadata).to.include({ step: 'x', request_id: 'req-err' });
    expect(error.metadata.get('x-request-id')).to.deep.equal(['req-err']);
  });

  it('hides internal error text from the caller', async () => {
    const { error, status } = await callFails(bind(client, 'getAuthority'), { name: 'authorities/crash' }, grpc.status.INTERNAL);
    expect(error.details).to.equal('internal error');
    expect(JSON.stringify(status)).to.not.include('hunter2');
  });

  it('ends a call at the server cap when the caller set a longer deadline', async () => {
    const started = Date.now();
    const { status } = await callFails(bind(client, 'getAuthority'), { name: 'authorities/slow' }, grpc.status.DEADLINE_EXCEEDED);
    expect(Date.now() - started).to.be.lessThan(1_500);
    expect(status.errorInfo?.reason).to.equal('DEADLINE_EXCEEDED');
  });

  it('refuses a message over the configured limit and keeps serving', async () => {
    // grpc-js refuses it below the interceptors, so this status carries no google.rpc.Status.
    const error = await call(bind(client, 'getAuthority'), { name: 'authorities/' + 'x'.repeat(4096) }).catch((e: grpc.ServiceError) => e);
    expect((error as grpc.ServiceError).code).to.equal(grpc.status.RESOURCE_EXHAUSTED);
    expect((error as grpc.ServiceError).details).to.match(/larger than max/);
    const { response } = await call(bind(client, 'getAuthority'), { name: 'authorities/a' });
    expect(response.displayName).to.equal('ok');
  });

  it('counts calls per method and status code on /metrics', async () => {
    const res = await fetch(`http://127.0.0.1:${metrics.port}/metrics`);
    const text = await res.text();
    expect(res.status).to.equal(200);
    const ok = /grpc_server_handled_total\{grpc_service="ruqsat.trust.v1.TrustService",grpc_method="GetAuthority",grpc_code="OK"\} (\d+)/.exec(text);
    expect(Number(ok?.[1])).to.be.at.least(3);
    expect(text).to.match(/grpc_server_handled_total\{[^}]*grpc_method="GetAuthority",grpc_code="INTERNAL"\} 1/);
    expect(text).to.include('grpc_server_handling_seconds_bucket');
    expect((await fetch(`http://127.0.0.1:${metrics.port}/other`)).status).to.equal(404);
  });
});

describe('kit: graceful shutdown', () => {
  it('reports NOT_SERVING, lets a running call finish, then closes', async () => {
    const server = await startGrpcServer({
      services: [{ serviceName: 'ruqsat.trust.v1.TrustService', definition: TrustServiceService, implementation: misbehaving() as grpc.UntypedServiceImplementation }],
      host: '127.0.0.1',
      port: 0,
      maxMessageBytes: 4096,
      maxCallMs: 5_000,
      logger: silent,
      registry: createRegistry(),
    });
    const client = new TrustServiceClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const inFlight = call(bind(client, 'getAuthority'), { name: 'authorities/slow' });
    await sleep(100);
    const stopped = server.stop(300, 5_000);
    await sleep(100);
    // During the drain the listener is still open and health already says NOT_SERVING.
    const HealthClient = grpc.makeGenericClientConstructor((await import('grpc-health-check')).service, 'Health');
    const health = new HealthClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as unknown as {
      check(req: object, cb: (err: Error | null, res: { status: string }) => void): void;
      close(): void;
    };
    const status = await new Promise<string>((resolve, reject) => health.check({ service: '' }, (err, res) => (err ? reject(err) : resolve(res.status))));
    expect(status).to.equal('NOT_SERVING');
    health.close();
    const { response } = await inFlight;
    expect(response.displayName).to.equal('ok');
    await stopped;
    client.close();
  });
});
