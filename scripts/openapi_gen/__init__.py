"""Generator of pcmock's openapi/*.json from the official Nutanix v4 Python SDKs."""
