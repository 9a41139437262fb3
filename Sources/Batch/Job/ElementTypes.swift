import Core
import HDF5

/// Element types and attribute values of output datasets (the HDF5 wrapper's value types; jobs never see HDF5).
public typealias ElementType = HDF5.ElementType

/// An attribute value of the output file (a string, numbers, or a list of strings).
public typealias AttributeValue = HDF5.AttributeValue
