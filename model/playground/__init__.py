"""TensorFlow Playground's rules: its links, seeded random stream, data, network and training."""
