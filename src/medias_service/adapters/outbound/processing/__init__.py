"""Media tools behind the MediaProcessor port: libvips for images, ffmpeg for video and audio, pdfium for PDF."""
