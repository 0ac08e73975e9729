/**
 * The measurements of a health sweep, one module per concern. Everything about a node is measured from the node: one
 * audited command (node-command.ts: clock, containers, free space, digests of the shared files) judged in
 * node-checks.ts, the application's own health asked over the node's SSH connection and through the load balancer
 * (application.ts, with the certificate it presents: certificate.ts), and the node's reach to each service
 * (reach.ts). What a node of the cluster's kind runs and shares, and how its health reads, comes from the NodeKind.
 */
export { L, LIMITS, now, worst } from './common';
export { nodeArgv, nodeScript, parseNodeReport, type NodeReport } from './node-command';
export { CLOCK, clockCheck, containersCheck, DISK, disksCheck, formatBytes, parseDf } from './node-checks';
export { reachCheck } from './reach';
export { CERT_URGENT_DAYS, CERT_WARN_DAYS, certificateCheck } from './certificate';
export { harborOnNode, harborThroughLb, type HarborCheck } from './application';
