package ai.wsbcn.video.data.synthetic;

/** The classes of the synthetic motion set, in label order, with Something-Something-style names. */
public enum Motion {
    LEFT_TO_RIGHT("Moving something from left to right"),
    RIGHT_TO_LEFT("Moving something from right to left"),
    UP("Moving something up"),
    DOWN("Moving something down"),
    APPROACHING("Moving something closer to the camera"),
    RECEDING("Moving something away from the camera"),
    STILL("Holding something still");

    private final String label;

    Motion(String label) {
        this.label = label;
    }

    /** The class name written to the labels and split files. */
    public String label() {
        return label;
    }
}
