/** Where Harbor lives on a node: shared by the deployment steps and the health checks. */

/** The installer is unpacked here (the layout both generations' install.sh expect). */
export const HARBOR_DIR = '/opt/harbor';
/** 2.x: rendered by prepare on every install; CSRF_KEY lives here. */
export const CORE_ENV = `${HARBOR_DIR}/common/config/core/env`;
