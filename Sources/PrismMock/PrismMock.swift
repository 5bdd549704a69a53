// PrismMock module
