// Whose upload an application may name (the rule; test/deposit/mtls.test.ts runs it on a mesh with mutual TLS).
import { expect } from 'chai';
import { foreignUpload } from '../../services/deposit/domain/uploader.ts';

const QORGAU = '010440001231';
const entity = (identifier: string) => ({ kind: 'legal_entity' as const, identifier });
const person = { kind: 'individual' as const, identifier: '870601300126' };

describe('deposit: binding the uploader to the applicant', () => {
  it("the applicant's organisation may name what any of its systems uploaded, through any system", () => {
    expect(foreignUpload({ uploader: `${QORGAU}/ci`, applicant: entity(QORGAU), submitter: '100340000033/egov-portal' })).to.equal(undefined);
  });

  it('the system that uploaded an object may submit it for the applicant who signs', () => {
    expect(foreignUpload({ uploader: '100340000033/egov-portal', applicant: person, submitter: '100340000033/egov-portal' })).to.equal(undefined);
  });

  it("refuses another organisation's upload, naming who uploaded it", () => {
    expect(foreignUpload({ uploader: `${QORGAU}/ci`, applicant: entity('111240003452'), submitter: '111240003452/ci' })).to.contain(`uploaded by ${QORGAU}/ci`).and.contain('BIN 111240003452');
    expect(foreignUpload({ uploader: `${QORGAU}/ci`, applicant: person, submitter: '100340000033/egov-portal' })).to.contain('IIN 870601300126');
    // Another system of the same portal operator is another system.
    expect(foreignUpload({ uploader: '100340000033/egov-portal', applicant: person, submitter: '100340000033/egov-mobile' })).to.be.a('string');
  });

  it('binds nothing where no caller is authenticated (MESH_TLS off: callers are peer addresses)', () => {
    expect(foreignUpload({ uploader: 'ipv4:127.0.0.1:53110', applicant: person, submitter: 'ipv4:127.0.0.1:53112' })).to.equal(undefined);
    expect(foreignUpload({ uploader: undefined, applicant: person, submitter: '' })).to.equal(undefined);
  });
});
