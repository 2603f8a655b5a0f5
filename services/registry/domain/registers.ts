// The state registers this service keeps (its own) or mirrors (fed by the other services).
export interface RegisterDefinition {
  id: string;
  title: string;
  titleKk: string;
  sourceService: 'registry' | 'licensing' | 'permit' | 'deposit' | 'trust';
  legalBasis: string;
}

export const REGISTERS: RegisterDefinition[] = [
  {
    id: 'eir-is',
    title: 'State Register of Electronic Information Resources and Information Systems',
    titleKk: 'Электрондық ақпараттық ресурстар мен ақпараттық жүйелердің мемлекеттік тіркелімі',
    sourceService: 'registry',
    legalBasis: 'MTC Order No. 209 of 2014, Appendix 2 (registry.eir_is)',
  },
  {
    id: 'kkm-computer-systems',
    title: 'Conclusions on conformity of computer systems for the State Register of Cash Register Machines',
    titleKk: 'Бақылау-касса машиналарының мемлекеттік тізіліміне енгізу үшін компьютер жүйесінің техникалық талаптарға сәйкестігі туралы қорытындылар',
    sourceService: 'registry',
    legalBasis: 'MTC Order No. 209 of 2014, Appendix 3 (conformity.kkm_computer_system)',
  },
  {
    id: 'nsc-licenses',
    title: 'Licences of the National Security Committee',
    titleKk: 'Ұлттық қауіпсіздік комитеті берген лицензиялар',
    sourceService: 'licensing',
    legalBasis: 'NSC Chairman Order No. 43 of 27 May 2015 as amended by Orders No. 98/қе (2017) and No. 46/қе (2019)',
  },
  {
    id: 'accreditation-certificates',
    title: 'Registry of issued certificates of accreditation of certifying centres',
    titleKk: 'Куәландырушы орталықтарды аккредиттеу туралы берілген куәліктердің тізілімі',
    sourceService: 'licensing',
    legalBasis: 'MDDIAI Order No. 224/НҚ of 1 June 2020 as amended in 2022, para 17',
  },
  {
    id: 'nsc-permits',
    title: 'Conclusions and permits of the National Security Committee',
    titleKk: 'Ұлттық қауіпсіздік комитеті берген қорытындылар мен рұқсаттар',
    sourceService: 'permit',
    legalBasis: 'NSC Chairman Order No. 43 of 27 May 2015 as amended by Orders No. 98/қе (2017) and No. 46/қе (2019)',
  },
  {
    id: 'deposited-software',
    title: 'Registry of deposited software products',
    titleKk: 'Депозитке салынған бағдарламалық өнімдердің тізілімі',
    sourceService: 'deposit',
    legalBasis: 'MTC Order No. 209 of 2014, Appendix 1 (deposit.software)',
  },
  {
    id: 'registration-certificates',
    title: 'Registration certificates of the national PKI and their status',
    titleKk: 'Тіркеу куәліктері және олардың мәртебесі',
    sourceService: 'trust',
    legalBasis: 'Regulation of the state service on NCA RK registration certificates (2012)',
  },
];
