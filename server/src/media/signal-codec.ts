// Wire format of LiveKit's signalling socket: binary protobuf both ways, plus the join request that
// livekit-client packs into the connection URL.
import { gunzipSync } from 'node:zlib';
import {
  JoinRequest,
  SignalRequest,
  SignalResponse,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';

export type SignalResponseMessage = SignalResponse['message'];
export type SignalRequestMessage = SignalRequest['message'];

export function encodeResponse(message: SignalResponseMessage): Uint8Array {
  return new SignalResponse({ message }).toBinary();
}

/** Accepts the binary form and, for clients that prefer it, the JSON form of a SignalRequest. */
export function decodeRequest(data: Buffer | string): SignalRequest {
  if (typeof data === 'string') return SignalRequest.fromJsonString(data, { ignoreUnknownFields: true });
  return SignalRequest.fromBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * The `join_request` query parameter: base64url of a WrappedJoinRequest, its payload maybe gzipped.
 * Inflating stops at `maxBytes`: a few kilobytes of gzip can otherwise claim gigabytes.
 */
export function decodeJoinRequest(param: string, maxBytes: number): JoinRequest {
  const wrapped = WrappedJoinRequest.fromBinary(Buffer.from(param, 'base64url'));
  const bytes =
    wrapped.compression === WrappedJoinRequest_Compression.GZIP
      ? gunzipSync(wrapped.joinRequest, { maxOutputLength: maxBytes })
      : wrapped.joinRequest;
  if (bytes.byteLength > maxBytes) throw new RangeError(`join request exceeds ${String(maxBytes)} bytes`);
  return JoinRequest.fromBinary(bytes);
}
