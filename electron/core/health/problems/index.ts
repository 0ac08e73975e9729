/**
 * What is wrong with the cluster, each with its known fix: from the checks of a sweep to a list the operator can
 * work through. Each rule (one file per concern here) finds one kind of problem; the fixes come from harbor-facts.md
 * (§6, §7 and "Things the app must get right") and the runbook's troubleshooting, and references name the public
 * issues.
 */
import type { TopologyProblem } from '../../../../shared/api/contracts/topology';
import { badCertificates, certificatesDiffer } from './certificates';
import { containersDown, dockerFails, localState } from './containers';
import { harborDown, otherHostname, unhealthyComponents } from './harbor';
import { clockOff, lowDisk } from './host';
import { csrfDiffers, keysDiffer } from './keys';
import { lbDown, lbPartial } from './load-balancer';
import { unreachableNodes, unreachableServices } from './reach';
import { sweepOf, type ProblemInput, type Rule } from './sweep';

export type { ProblemInput } from './sweep';

/**
 * Every rule, in the order their problems are listed within a severity: what is out of reach first (the cause of much
 * else), then Harbor, its containers, the machines, the shared secrets, the certificates and the load balancer.
 */
const RULES: readonly Rule[] = [
  unreachableNodes,
  unreachableServices,
  harborDown,
  unhealthyComponents,
  otherHostname,
  containersDown,
  dockerFails,
  localState,
  lowDisk,
  clockOff,
  keysDiffer,
  csrfDiffers,
  badCertificates,
  certificatesDiffer,
  lbDown,
  lbPartial,
];

export function findProblems(input: ProblemInput): TopologyProblem[] {
  const sweep = sweepOf(input);
  const found = RULES.flatMap((rule) => rule(sweep));
  // Errors before warnings; within each, the rules' order (the sort is stable).
  return found.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
