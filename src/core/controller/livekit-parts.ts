// The parts of livekit-client the core uses at run time. Loaded only through `loadLiveKit()`: a
// dynamic import of this module (not of the whole package) lets bundlers split it off and still
// leave out what the core never uses.
export { ConnectionState, DisconnectReason, LocalAudioTrack, LocalVideoTrack, Room, RoomEvent, Track } from 'livekit-client';
