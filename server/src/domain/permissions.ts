// The one rule for what a role may do in the room under a policy lives in the wire contract
// (src/contract/permissions.ts), shared with the widget; the server takes it from there.
export {
  CLIENTS_MAY_UPDATE_OWN_METADATA,
  mayChat,
  mayRecord,
  mayShareScreen,
  permissionsFor,
  type RoomPermissions,
  type SourceName,
} from '../../../src/contract/permissions.js';
