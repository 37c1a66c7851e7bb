import { runPipeline } from '../../../nodes/core/pipeline';
import { pbxme } from '../../../nodes/vendors/pbxme';
import { settings } from '../../support/pipeline';

describe('PBXme', () => {
test('a PBXme form body whose time has an unencoded +01 keeps its time', () => {
		const form = Buffer.from('event=incoming_call&did_number=+447911123456&caller_id=+19175550100&timestamp=2024-11-15T14:32:00+01');
		expect(runPipeline(pbxme, { rawBody: form, headers: {} }, settings())).toMatchObject({ items: [{ occurredAt: '2024-11-15T13:32:00.000Z', didNumber: '+447911123456', fromNumber: '+19175550100' }] });
	});});
