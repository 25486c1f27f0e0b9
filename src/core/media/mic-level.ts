// The microphone's level while previewing in the lobby, before any room exists to report it.

/** Samples `track`'s loudness (0..1) every `intervalMs` and calls `onLevel`; returns the stop function. */
export function watchMicLevel(track: MediaStreamTrack, onLevel: (level: number) => void, intervalMs = 100): () => void {
  const AudioContextClass = globalThis.AudioContext as typeof AudioContext | undefined;
  if (AudioContextClass === undefined) return () => undefined;
  const context = new AudioContextClass();
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    // RMS scaled so ordinary speech reaches the upper half of the meter.
    onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  }, intervalMs);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close().catch(() => undefined);
  };
}
