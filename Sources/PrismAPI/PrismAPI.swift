// PrismAPI module
