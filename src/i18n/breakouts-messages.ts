/**
 * The strings of breakout rooms: the `<meeting-breakouts>` panel, its buttons in the control bar and
 * what the live region says. The catalogue spreads these maps in, so hosts override them with
 * `registerMessages`.
 */
export const breakoutMessagesEn = {
  'breakouts.heading': 'Breakout rooms',
  'breakouts.none': 'No breakout rooms are open.',
  'breakouts.roomName': 'Room {n}',
  'breakouts.roomCount': 'Rooms',
  'breakouts.assign': 'Who goes where',
  'breakouts.assignFor': 'Room for {name}',
  'breakouts.unassigned': 'Stays in the main room',
  'breakouts.nobody': 'Nobody else is here yet: rooms can still be opened and visited.',
  'breakouts.random': 'Split at random',
  'breakouts.timer': 'Close automatically',
  'breakouts.minutes': 'Minutes',
  'breakouts.open': 'Open rooms',
  'breakouts.closeAll': 'Close all rooms',
  'breakouts.join': 'Join',
  'breakouts.joinNamed': 'Join {room}',
  'breakouts.here': 'You are here',
  'breakouts.people': '{count} in the room',
  'breakouts.assigned': '{count} assigned',
  'breakouts.closesAt': 'Rooms close at {time}',
  'breakouts.youAreIn': 'You are in {room}',
  'breakouts.yourRoom': 'Your room: {room}',
  'breakouts.movingTo': 'You are moving to {room}',
  'breakouts.movingBack': 'You are going back to the main room',
  'breakouts.returnToMain': 'Return to main room',
  'breakouts.allowReturn': 'Let people return to the main room',
  'breakouts.stayUntilClose': 'The host keeps everyone in their room until the rooms close.',
  'controls.breakouts': 'Breakout rooms',
  'controls.returnToMain': 'Return to main room',
  'announce.breakoutsOpened': 'Breakout rooms are open',
  'announce.breakoutMoving': 'You are moving to {room}',
  'announce.breakoutMoved': 'You are in {room}',
  'announce.breakoutReturned': 'You are back in the main room',
  'announce.breakoutsClosed': 'Breakout rooms are closed: everyone is back in the main room',
  'announce.breakoutBroadcast': 'Host to all rooms, from {from}: {text}',
  'breakouts.broadcastLabel': 'Message to all rooms',
  'breakouts.broadcastSend': 'Send',
  'toast.broadcast': 'Host to all rooms: {name}',
  'toast.broadcastMany': 'Host to all rooms: {name}',
} as const;

export type BreakoutMessageKey = keyof typeof breakoutMessagesEn;
