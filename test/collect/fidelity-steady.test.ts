import { fidelityCase } from './fidelity-case.js';

fidelityCase('steady');
