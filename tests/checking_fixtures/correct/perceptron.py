"""The course tutorial's perceptron, as a student writes it: a correct solution.

The weights hold the bias first; the batch rule takes, over the misclassified points, the
mean of y * [1, x] (a point exactly on the line counts as misclassified).
"""

import numpy as np


class Perceptron:
    def __init__(self, n_inputs, max_epochs=100, learning_rate=0.01):
        self.max_epochs = int(max_epochs)
        self.learning_rate = learning_rate
        self.weights = np.zeros(n_inputs + 1)

    def forward(self, input_vec):
        x = np.atleast_2d(input_vec)
        scores = x @ self.weights[1:] + self.weights[0]
        label = np.where(scores >= 0, 1, -1)
        return label if np.ndim(input_vec) > 1 else label[0]

    def train(self, training_inputs, labels):
        x = np.hstack([np.ones((len(training_inputs), 1)), training_inputs])
        for _ in range(self.max_epochs):
            wrong = -labels * (x @ self.weights) >= 0
            if not wrong.any():
                break
            gradient = -np.mean(labels[wrong, None] * x[wrong], axis=0)
            self.weights -= self.learning_rate * gradient
