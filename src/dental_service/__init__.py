"""dental_service: a dental practice: patients, dentists, appointments without double booking, treatments, billing."""
