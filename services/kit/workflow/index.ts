// The workflow engine of the mesh: declarative service definitions and the pure case machine that runs them.
export * from './definition.ts';
export * from './state.ts';
export { applicationViolations, type ApplicationInput } from './application.ts';
export { APPC, APPC_HEARING, LAW_ON_STATE_SERVICES, NSC_ORDER_34QE_2020, NSC_ORDER_43, NSC_ORDER_46QE_2019, NSC_ORDER_98QE_2017, STATE_SERVICE_APPEALS } from './acts.ts';
export { LICENSE_CRYPTO_DEV, LICENSE_LEAK_DETECTION, LICENSE_STS_ORS, NSC_LICENCES } from './licences.ts';
export { CONCLUSION_TECH_RESEARCH, NSC_PERMITS, PERMIT_CRYPTO_SALE, PERMIT_CUSTOMS_COVERT_STS, PERMIT_CUSTOMS_CRYPTO, REGISTRATION_CRYPTO_NOTIFICATION } from './permits.ts';
export { ACCREDITATION_CERTIFYING_CENTER, ACCREDITATION_CERTIFYING_CENTER_2014, ACCREDITATION_VERSIONS } from './accreditation.ts';
export { ACCREDITATION_CHANGES, ACCREDITATION_REVOCATION, ACCREDITATION_TERMINATION } from './accreditation-revocation.ts';
export { CONFORMITY_KKM_COMPUTER_SYSTEM, DEPOSIT_SOFTWARE, REGISTRY_EIR_IS } from './informatization.ts';
export { DefinitionRegistry } from './registry.ts';
export { apply, start, type StartOptions } from './machine.ts';
export { overdue } from './deadlines.ts';
export { applicantStatus } from './status.ts';
export { quorumShortfall, type QuorumShortfall } from './quorum.ts';
export { caseFromJson, caseToJson } from './serialize.ts';
