print("pcmock")
