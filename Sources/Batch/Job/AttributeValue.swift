import Core
import HDF5

/// An attribute value of the output file (a string, numbers, or a list of strings).
public typealias AttributeValue = HDF5.AttributeValue
