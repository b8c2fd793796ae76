/// How far an import has got: the rows read from the file, those that passed the
/// file's own checks, and those sent to the database, with how much of the file is
/// read (in the file's own units: bytes of text, or rows of a sheet). A command shows
/// it as a progress line; the rate and time left follow from it.
public struct ImportProgress: Sendable, Equatable {
    /// What the import is doing.
    public enum Stage: String, Sendable {
        /// Reading and checking the file's rows, and sending them to the database.
        case reading
        /// Checking the rows against what is stored.
        case checking
        /// Storing the rows checked.
        case storing
    }

    public var stage: Stage
    public var rowsRead: Int
    public var rowsChecked: Int
    public var rowsStored: Int
    /// How much of the file has been read, of `total`.
    public var position: ReadPosition

    public init(stage: Stage, rowsRead: Int = 0, rowsChecked: Int = 0, rowsStored: Int = 0,
                position: ReadPosition = ReadPosition(done: 0, total: 0)) {
        self.stage = stage
        self.rowsRead = rowsRead
        self.rowsChecked = rowsChecked
        self.rowsStored = rowsStored
        self.position = position
    }
}

/// How much of an input has been read: `done` of `total`, in the input's own units
/// (bytes of a text, rows of a sheet). A total of 0 is an input of unknown size.
public struct ReadPosition: Sendable, Equatable {
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }

    /// The whole of an input of `total` units, read.
    public static func whole(_ total: Int) -> ReadPosition { ReadPosition(done: total, total: total) }
}
