import { switchOutput } from '../../nodes/core/select';
import { switchOutputsExpression } from '../../nodes/n8n/switch-outputs';

describe('PBX Event Switch', () => {
	test('by group: one output per group, in the documented order', () => {
		expect(['call.completed', 'queue.joined', 'voicemail.received', 'recording.ready', 'message.sent', 'device.registered', 'callflow.reached', 'unknown', 'weird.thing'].map((e) => switchOutput('group', [], e))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 7]);
	});
	test('by event: the picked events in order, then Other', () => {
		const picks = ['voicemail.received', 'call.completed'];
		expect(switchOutput('event', picks, 'call.completed')).toBe(1);
		expect(switchOutput('event', picks, 'voicemail.received')).toBe(0);
		expect(switchOutput('event', picks, 'message.received')).toBe(2);
	});
	test('the outputs expression names the outputs for the canvas', () => {
		const body = switchOutputsExpression.slice(3, -2);
		const outputs = (parameters: unknown) => new Function('$parameter', `return ${body}`)(parameters);
		expect(outputs({ mode: 'group' }).map((o: { displayName: string }) => o.displayName)).toEqual(['Call', 'Queue', 'Voicemail', 'Recording', 'Message (SMS/MMS)', 'Device', 'Call Flow', 'Unknown']);
		expect(outputs({ mode: 'event', events: ['call.completed', 'message.received'] }).map((o: { displayName: string }) => o.displayName)).toEqual(['Call Completed', 'Message Received', 'Other']);
	});
});
