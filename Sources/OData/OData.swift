// OData module
