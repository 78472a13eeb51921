//! Right-to-left and mixed-direction text in the article view.
