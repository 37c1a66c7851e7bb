/**
 * Signature forms as the vendors' documents state them, written here apart
 * from any adapter so that the engine's tests check the documented shape, not
 * an adapter's own data.
 */
import type { SignatureForm } from '../../nodes/core/authenticate';

/** Zoom: `x-zm-signature: v0=<hex HMAC-SHA256(secret, "v0:" + x-zm-request-timestamp + ":" + body)>` */
export const ZOOM_FORM: SignatureForm = {
	header: 'x-zm-signature',
	covers: 'signedString',
	format: 'v0={sig}',
	stamp: { header: 'x-zm-request-timestamp' },
	unit: 'seconds',
	signed: 'v0:{t}:{body}',
	digest: 'hex',
	key: 'utf8',
};
