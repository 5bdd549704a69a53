// EntityStore module
import CSQLite
