"""How things look: themes, class colours, colour-vision checks."""
