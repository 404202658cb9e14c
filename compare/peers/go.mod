module github.com/chaosstat/chaosstat/compare/peers

go 1.26.0

require (
	github.com/aclements/go-moremath v0.0.0-20210112150236-f10218a38794
	github.com/chaosstat/chaosstat v0.0.0
)

require gonum.org/v1/gonum v0.17.0 // indirect

// The library itself, from this checkout.
replace github.com/chaosstat/chaosstat => ../..
