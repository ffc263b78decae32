/**
 * Where the ffmpeg tools live. We use Debian's `ffmpeg` package rather than an npm package
 * that bundles a static binary (ffmpeg-static, @ffmpeg-installer): Debian's build gets security
 * updates through apt with the rest of the OS, links the system's codec libraries (H.264/HEVC
 * decoders, TLS via GnuTLS for rtsps/https), ships ffprobe alongside, and the npm packages
 * download their binary in an install script, which cannot run here (no network at install
 * beyond the registry, install scripts blocked). Operators override the paths through config.
 */
export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export const DEBIAN_FFMPEG: FfmpegBinaries = { ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe' };
