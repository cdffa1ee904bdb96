"""A short TensorFlow Playground link the window's Playground tests open: XOR, one hidden
layer of three tanh neurons, batch 10, half the points for training."""

XOR_LINK = (
    "activation=tanh&batchSize=10&dataset=xor&regDataset=reg-plane&learningRate=0.03&"
    "regularizationRate=0&noise=0&networkShape=3&seed=0.5&showTestData=false&"
    "discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&"
    "ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&"
    "problem=classification&initZero=false&hideText=false"
)
