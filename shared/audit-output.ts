/**
 * Characters of each output stream the audit log keeps, half from its start and half from its end (why:
 * electron/core/audit.ts). Here, apart from the API contract, so the renderer can say it without loading zod.
 */
export const OUTPUT_KEEP_CHARS = 4096;
